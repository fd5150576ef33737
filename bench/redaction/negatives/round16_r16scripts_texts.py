# ruff: noqa: E501, RUF001
"""Hand-written texts of issue 21, round 16 (held back, helper r16scripts): people written
in scripts other than Latin and in languages other than English (mail, chat, forms,
transcripts, tickets, invitations), Italian, German and romanised Japanese mail, and texts
in the same languages where nobody is named. Marks: see build_marked.py."""

# Texts WITH people. Markup: [[P:value]] PERSON, [[L:value]] LOCATION, [[E:value]] EMAIL,
# [[T:value]] PHONE. Honorifics and titles stay outside the marks.
POSITIVES = [
    # Russian, Ukrainian, Kazakh, Mongolian (Cyrillic)
    (
        "mail-ru",
        "Здравствуйте, [[P:Пётр Аркадьевич]]!\nДоговор подписан, копию пришлю завтра.\nС уважением,\n[[P:Лидия Сомова]]",
    ),
    ("chat-ru", "[[P:Гоша]], привет! ты сегодня в офисе? [[P:Вера]] просила ключ от переговорки"),
    (
        "ticket-ru",
        "Заявитель: [[P:Колесникова Ирина Степановна]]\nТема: не приходит код подтверждения\nТелефон: [[T:+7 916 204-33-81]]",
    ),
    (
        "mail-ru",
        "Уважаемый господин [[P:Тарасов]],\nнапоминаем о встрече в четверг в 15:00.\n--\n[[P:Агата Рудь]], отдел кадров",
    ),
    (
        "mail-uk",
        "Добрий день, пане [[P:Остапе]]!\nНадсилаю рахунок за березень.\nЗ повагою, [[P:Соломія Гнатюк]]",
    ),
    ("chat-uk", "[[P:Тарас]]: хто забирає посилку?\n[[P:Мирослава]]: я, після обіду"),
    (
        "form-kk",
        "Аты-жөні: [[P:Нұрланов Ерасыл]]\nМекенжайы: [[L:Абай даңғылы 48, Алматы]]\nТелефон: [[T:+7 701 355 12 09]]",
    ),
    (
        "mail-kk",
        "Құрметті [[P:Айгерім]] ханым!\nСіздің өтінішіңіз қабылданды.\nҚұрметпен, [[P:Дәурен Сәтбаев]]",
    ),
    (
        "mail-mn",
        "Сайн байна уу, [[P:Батбаяр]] ахаа!\nХурлын материалыг хавсаргав.\nХүндэтгэсэн, [[P:Оюунчимэг]]",
    ),
    ("form-mn", "Овог: [[P:Должинсүрэн]]\nНэр: [[P:Төмөрбаатар]]\nУтас: [[T:9911 4827]]"),
    # Greek, Georgian, Armenian
    (
        "mail-el",
        "Αγαπητή κυρία [[P:Καραμανλή]],\nσας στέλνω το τιμολόγιο του Μαρτίου.\nΜε εκτίμηση,\n[[P:Σπύρος Δελής]]",
    ),
    ("chat-el", "Γεια σου [[P:Ελπίδα]]! Ο [[P:Στέλιος]] θα έρθει αργότερα στη συνάντηση."),
    (
        "form-el",
        "Ονοματεπώνυμο: [[P:Ευανθία Ρουσσάκη]]\nΔιεύθυνση: [[L:Οδός Αγίου Δημητρίου 12, Λάρισα]]\nΚινητό: [[T:694 518 2270]]",
    ),
    (
        "mail-ka",
        "გამარჯობა, ბატონო [[P:ლევან]]!\nხელშეკრულება გამოგიგზავნეთ.\nპატივისცემით,\n[[P:ნინო ბერიძე]]",
    ),
    ("chat-ka", "[[P:თამარ]], ხვალ შეხვედრა გადავდოთ? [[P:გიორგი]] ავად არის."),
    (
        "mail-hy",
        "Հարգելի պարոն [[P:Մկրտչյան]],\nՁեր պատվերը ուղարկված է։\nՀարգանքով՝ [[P:Անի Սարգսյան]]",
    ),
    # Arabic, Persian, Urdu, Hebrew
    (
        "mail-ar",
        "السيد [[P:خالد العمري]] المحترم،\nنرجو تأكيد موعد التسليم.\nمع التحية،\n[[P:ريم الزهراني]]",
    ),
    ("chat-ar", "صباح الخير يا [[P:سلمى]]، هل أرسل [[P:يوسف]] التقرير؟"),
    (
        "form-ar",
        "الاسم الكامل: [[P:منى عبد الله الشمري]]\nالبريد: [[E:mona.shammari@example.sa]]\nالجوال: [[T:+966 55 821 4409]]",
    ),
    (
        "mail-fa",
        "جناب آقای [[P:رضایی]]،\nسلام و وقت بخیر. فاکتور ماه قبل پیوست است.\nبا احترام،\n[[P:مهسا کریمی]]",
    ),
    ("chat-fa", "[[P:آرش]] جان، فردا جلسه ساعت ده است. به [[P:نیلوفر]] هم بگو."),
    (
        "mail-ur",
        "محترم [[P:عمران قریشی]] صاحب،\nآپ کی درخواست موصول ہو گئی ہے۔\nشکریہ،\n[[P:سعدیہ ملک]]",
    ),
    ("chat-ur", "[[P:بلال]] بھائی، کل کی میٹنگ میں [[P:حنا]] بھی آئیں گی۔"),
    ("mail-he", "שלום [[P:אורית]],\nמצורף החוזה המעודכן.\nבברכה,\n[[P:יונתן שפירא]]"),
    ("chat-he", "[[P:דניאל]], תזכיר ל[[P:מיכל]] להביא את המפתחות"),
    # Hindi, Bengali, Tamil, Thai
    (
        "mail-hi",
        "आदरणीय [[P:शर्मा]] जी,\nआपका आवेदन स्वीकार कर लिया गया है।\nधन्यवाद,\n[[P:अनीता वर्मा]]",
    ),
    ("chat-hi", "[[P:रोहित]] भाई, कल [[P:प्रिया]] दीदी की शादी है, आओगे?"),
    (
        "form-hi",
        "नाम: [[P:सुरेश कुमार यादव]]\nपता: [[L:गली नंबर 4, करोल बाग, नई दिल्ली]]\nमोबाइल: [[T:98110 47263]]",
    ),
    ("mail-bn", "প্রিয় [[P:তানভীর]],\nআগামীকাল মিটিং সকাল দশটায়।\nশুভেচ্ছা,\n[[P:সুমাইয়া রহমান]]"),
    ("chat-bn", "[[P:রাকিব]] দা, [[P:মৌমিতা]] কি রিপোর্টটা পাঠিয়েছে?"),
    ("mail-ta", "அன்புள்ள [[P:கார்த்திக்]],\nநாளை கூட்டம் பத்து மணிக்கு.\nநன்றி,\n[[P:மீனாட்சி சுந்தரம்]]"),
    ("chat-ta", "[[P:செல்வி]] அக்கா, [[P:முருகன்]] அண்ணா வந்துட்டாரா?"),
    (
        "mail-th",
        "เรียน คุณ[[P:สมชาย ใจดี]]\nทางเราได้รับเอกสารของท่านแล้ว\nขอแสดงความนับถือ\n[[P:วราภรณ์ ศรีสุข]]",
    ),
    ("chat-th", "พี่[[P:นก]] วันนี้น้อง[[P:ต้น]]ลาป่วยนะคะ"),
    # Japanese, Chinese, Cantonese, Korean
    (
        "mail-ja",
        "[[P:山本]]様\nいつもお世話になっております。見積書を添付いたします。\n[[P:佐々木 花子]]",
    ),
    ("chat-ja", "[[P:健太]]くん、明日の会議に[[P:美咲]]さんも来ますか？"),
    (
        "form-ja",
        "氏名：[[P:高橋 誠]]\nフリガナ：[[P:タカハシ マコト]]\n住所：[[L:大阪府大阪市北区梅田2-4-9]]\n電話：[[T:06-6345-1187]]",
    ),
    (
        "transcript-ja",
        "[[P:中村]]：では始めます。\n[[P:小林]]：資料は共有しました。\n[[P:中村]]：ありがとうございます。",
    ),
    ("mail-zh", "[[P:王]]经理您好：\n附件是本月的报价单，请查收。\n[[P:陈晓燕]]"),
    ("chat-zh", "[[P:李明]]，你下午有空吗？[[P:张伟]]想请你看一下代码。"),
    (
        "form-zh",
        "姓名：[[P:刘海涛]]\n手机：[[T:139 0217 6654]]\n地址：[[L:上海市徐汇区漕溪北路88号]]",
    ),
    ("chat-yue", "[[P:阿雯]]，你今晚食唔食飯呀？[[P:志強]]話遲啲先返。"),
    ("mail-zh-tw", "[[P:黃]]小姐您好，\n您的訂單已經出貨。\n[[P:林志明]] 敬上"),
    ("mail-ko", "[[P:김민준]]님 안녕하세요,\n회의 자료 보내드립니다.\n[[P:이서연]] 드림"),
    ("chat-ko", "[[P:지훈]]씨, 내일 [[P:수빈]]씨랑 같이 오세요"),
    (
        "form-ko",
        "성명: [[P:박지영]]\n연락처: [[T:010-4827-3391]]\n주소: [[L:서울특별시 마포구 월드컵로 112]]",
    ),
    # Propagation: a name in Latin script in a display name and in its own script
    (
        "mail-ja-disp",
        "From: [[P:Yuki Tanabe]] <[[E:y.tanabe@example.co.jp]]>\n\n[[P:田辺]]です。明日の打ち合わせの件、了解しました。",
    ),
    (
        "mail-ru-disp",
        "From: [[P:Oleg Voronin]] <[[E:voronin@example.ru]]>\n\nКоллеги, отчёт готов.\n[[P:Олег]]",
    ),
    (
        "mail-el-disp",
        "Από: [[P:Δήμητρα Παππά]] <[[E:dpappa@example.gr]]>\nΘέμα: Πρόγραμμα\n\nΚαλημέρα σε όλους, το πρόγραμμα άλλαξε.",
    ),
    # Italian, German, Spanish, Portuguese, Turkish, romanised Japanese mail (Latin script)
    (
        "mail-it",
        "Gentile dott.ssa [[P:Ferraresi]],\nle invio in allegato il verbale della riunione.\nCordiali saluti,\n[[P:Gianluca Baratti]]",
    ),
    (
        "mail-it",
        "Ciao [[P:Fede]], ci vediamo domani alle nove? Porta anche [[P:Ludovica]].\nUn abbraccio, [[P:Sandro]]",
    ),
    (
        "ticket-it",
        "Segnalato da: [[P:Martina Scaglione]]\nProblema: la stampante del secondo piano non risponde\nContatto: [[T:+39 347 112 9084]]",
    ),
    (
        "mail-de",
        "Sehr geehrter Herr [[P:Wendelin]],\nanbei die Rechnung für Mai.\nMit freundlichen Grüßen\n[[P:Ulrike Bremer]]",
    ),
    (
        "mail-es",
        "Estimada Sra. [[P:Quintanilla]]:\nle confirmo la cita del martes.\nAtentamente,\n[[P:Ramiro Etxeberria]]",
    ),
    (
        "mail-pt",
        "Olá [[P:Joaquim]],\nsegue em anexo a proposta.\nAbraços,\n[[P:Fernanda Albuquerque]]",
    ),
    (
        "mail-tr",
        "Sayın [[P:Kadir Öztürkmen]] Bey,\ntoplantı perşembe günü saat 14:00'te.\nSaygılarımla,\n[[P:Ebru Kalaycı]]",
    ),
    (
        "mail-ja-rom",
        "[[P:Kuroda]]-sama,\nOtsukaresama desu. Shiryou wo okurimasu.\nYoroshiku onegaishimasu.\n[[P:Haruki Ogawa]]",
    ),
    ("chat-ja-rom", "[[P:Ayaka]]-chan, ashita no nomikai kuru? [[P:Shota]]-kun mo kuru yo"),
    (
        "invite-vi",
        "Kính gửi anh [[P:Nguyễn Văn Hùng]],\nmời anh tham dự buổi họp lúc 9 giờ sáng thứ Hai.\nTrân trọng,\n[[P:Trần Thị Mai]]",
    ),
    ("chat-id", "Pak [[P:Hendra]], rapatnya jadi jam 2? Bu [[P:Wulan]] sudah konfirmasi."),
]

# Texts WITHOUT anyone: the same languages and settings, nobody named.
NEGATIVES = [
    (
        "notice-ru",
        "Уважаемые жильцы!\nВ четверг с 10:00 до 14:00 будет отключена горячая вода.\nС уважением, управляющая компания",
    ),
    ("chat-ru", "кто-нибудь знает, почему сборка упала? тесты проходят локально"),
    ("notice-uk", "Шановні колеги! Нарада переноситься на понеділок. Дякуємо за розуміння."),
    (
        "notice-el",
        "Αγαπητοί πελάτες,\nτο κατάστημα θα παραμείνει κλειστό την Κυριακή.\nΕυχαριστούμε",
    ),
    ("notice-ka", "ძვირფასო მომხმარებლებო, სისტემა ხვალ დილით განახლდება."),
    (
        "notice-ar",
        "عزيزي العميل،\nتم استلام طلبك وسيتم شحنه خلال ثلاثة أيام عمل.\nمع التحية، فريق الدعم",
    ),
    ("notice-fa", "مشتری گرامی، سفارش شما ثبت شد. با تشکر از خرید شما."),
    ("notice-ur", "محترم صارف، آپ کا پاس ورڈ کامیابی سے تبدیل ہو گیا ہے۔"),
    ("notice-hi", "प्रिय ग्राहक,\nआपका ऑर्डर भेज दिया गया है।\nधन्यवाद"),
    ("notice-bn", "প্রিয় গ্রাহক, আপনার অর্ডারটি পাঠানো হয়েছে। ধন্যবাদ।"),
    ("notice-ta", "அன்புள்ள வாடிக்கையாளரே, உங்கள் கணக்கு புதுப்பிக்கப்பட்டது."),
    ("notice-th", "เรียน ลูกค้าทุกท่าน\nระบบจะปิดปรับปรุงในวันอาทิตย์ เวลา 22.00 น.\nขอบคุณค่ะ"),
    (
        "notice-ja",
        "お客様各位\nいつもご利用いただきありがとうございます。メンテナンスのため、明日サービスを停止いたします。",
    ),
    ("chat-ja", "明日の会議は十時からです。資料は共有フォルダにあります。"),
    ("notice-zh", "尊敬的客户您好：\n您的订单已发货，请注意查收。\n客服中心"),
    ("chat-yue", "今晚食咩好？打邊爐定係去飲茶？"),
    ("notice-ko", "고객님 안녕하세요,\n주문하신 상품이 발송되었습니다.\n감사합니다."),
    (
        "notice-it",
        "Gentile cliente,\nla informiamo che il suo ordine è stato spedito.\nCordiali saluti,\nil servizio clienti",
    ),
    (
        "notice-de",
        "Sehr geehrte Damen und Herren,\nanbei erhalten Sie die Unterlagen zur Sitzung.\nMit freundlichen Grüßen\nIhr Kundenservice",
    ),
    (
        "notice-ja-rom",
        "Otsukaresama desu. Ashita no kaigi wa juuji kara desu. Yoroshiku onegaishimasu.",
    ),
]
